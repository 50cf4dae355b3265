"""Grain storage advisor: equilibrium moisture, aeration advice from temperature cables,
dry-matter loss and allowable storage time, a deep-bed season simulation, and sizing of a
county's grain storage from its design.

Every coefficient comes from the bundled norms in ``twentyten/data/grain`` (see its
SOURCES.md); weak ones are used with a warning carried in the results.

>>> from twentyten.grain.emc import emc
>>> round(float(emc("maize", 15.6, 80.0)), 1)   # % wet basis at 60 F, 80 % RH
17.2
"""
