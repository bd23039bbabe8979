"""Helpers for the upload-page tests: the real local server and Debian's Chromium."""
