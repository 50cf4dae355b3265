"""Coverage and regional-balance indicators of a plan, a simulated state or the record.

:mod:`~twentyten.indicators.balance` holds the indices (Theil T and L with their
between/within split, Williamson, population-weighted Gini, capital-versus-regions gap);
:mod:`~twentyten.indicators.coverage` applies them to a county frame.
"""
