"""Loading a region: read and validate its data folder, run the engine-level checks, cache the result."""

from tariefmodel.loader.load import load_region

__all__ = ["load_region"]
