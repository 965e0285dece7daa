"""Fitting a process model to an event log: one small fitter per part of the model."""
