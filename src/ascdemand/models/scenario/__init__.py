"""Discharge what-if scenarios: parameters, the weekly flow model, Monte Carlo bands,
calibration from loaded data, the report's mitigations as presets, and comparisons."""
