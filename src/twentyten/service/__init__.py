"""Use cases of the record, one function each, shared by the CLI, the API and the web.

Permissions and transactions live here: every write function takes the acting user
(:class:`~twentyten.service.actors.Actor`), checks the scope, writes an audit entry and
commits, or changes nothing. No SQL outside ``store`` and this package.
"""
