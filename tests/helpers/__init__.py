"""Test helpers shared by the handler tests: event loading and variants, response decoding."""
