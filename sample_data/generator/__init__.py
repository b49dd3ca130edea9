"""The sample generator's parts, one module per part of the data (sample_data/generate.py runs them)."""
