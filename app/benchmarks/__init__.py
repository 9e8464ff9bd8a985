"""Kolada benchmarks: values, KPI metadata, municipality groups, comparisons (DOMAIN §11)."""
