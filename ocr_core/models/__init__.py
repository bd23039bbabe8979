"""Models: presets (which ONNX files answer), where the files are, and the process-wide sessions.

Sessions are created on first use and shared by every request of the process. May import only
the base modules; the stages receive sessions, they never look them up.
"""
