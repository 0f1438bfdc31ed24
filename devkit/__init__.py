"""Development helpers shared by tests and benchmarks (never imported by the app)."""
