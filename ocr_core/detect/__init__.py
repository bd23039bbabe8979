"""Detection stage: a page's pixels -> 4-point boxes of its text lines (DBNet in ONNX Runtime).

Owns: the detector's pre-processing, DB post-processing and connected components in numpy (no
OpenCV). May import only the base modules.
"""
