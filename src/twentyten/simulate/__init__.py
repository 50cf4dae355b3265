"""Monte Carlo over a saved plan: how likely is the horizon still met, and what breaks it.

:mod:`~twentyten.simulate.scenario` reads the uncertainties (named distributions),
:mod:`~twentyten.simulate.engine` runs them (runs × units arrays), :mod:`~twentyten.simulate.results`
summarises them and :mod:`~twentyten.simulate.report` writes the HTML report.
"""
