"""Tests of smpstudio.appearance."""
