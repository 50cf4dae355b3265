"""twentyten: plan, build and monitor a national regional-development programme.

Importing the package is cheap: solver, web, database and plotting libraries are
imported only by the functions that use them.
"""

__version__ = "0.1.0"
