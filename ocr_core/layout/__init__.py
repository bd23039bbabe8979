"""Layout stage: readings -> lines with word boxes, grouped into rows and blocks, in reading order.

Owns: word and character boxes, rows, blocks (paragraphs, columns, cells), reading order,
ignore regions, and tables (ruling lines, grids, cells). May import `recognize` (a reading's
character positions), `detect.components` (the run-length regions that also find ruling lines)
and the base modules.
"""
