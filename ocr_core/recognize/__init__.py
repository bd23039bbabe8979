"""Recognition stage: line boxes -> upright crops -> orientation -> CTC readings.

Owns: cutting lines out of a page, the upside-down classifier, the CTC recognizers and their
decoding, the character filter (`lang`, `allowed_chars`) and the cascade of second readings.
May import the base modules only (not input or detect: crops arrive as arrays).
"""
