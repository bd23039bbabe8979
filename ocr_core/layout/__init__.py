"""Layout stage: readings -> lines with word boxes, grouped into rows and blocks, in reading order.

Owns: word and character boxes, rows, blocks (paragraphs, columns, cells), reading order, and
ignore regions. May import `recognize` (a reading's character positions) and the base modules.
"""
