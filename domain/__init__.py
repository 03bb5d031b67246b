"""The pure domain of 网络政务舆情回应交办督办: models and policy rules.

Nothing here talks to Temporal or does I/O, so workflows, activities and tests
share it and the regulations can be unit-tested on their own.
"""
