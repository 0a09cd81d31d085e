"""The engine version: one place, read by the package, the build (hatch) and every manifest."""

__version__ = "0.2.0"
