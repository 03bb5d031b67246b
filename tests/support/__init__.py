"""Helpers for tests and measurements (time-skipping server, recorded scenarios, action count).

Not shipped: the product's packages never import from here.
"""
