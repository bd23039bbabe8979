"""Cutting line crops out of a page: upright boxes are sliced, tilted ones warped upright."""

from __future__ import annotations

import numpy as np

from bench.kit.render import render_line
from ocr_core.imaging import warp_quad
from ocr_core.recognize.crop import crop_line, is_upright_rectangle


def page_with_line() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A grey page with one rendered text line pasted at a known place: (page, (x, y, w, h))."""
    line = np.asarray(render_line("Hello 你好 2024", size=28).convert("RGB"))
    page = np.full((300, 600, 3), 200, dtype=np.uint8)
    x, y = 37, 81
    page[y : y + line.shape[0], x : x + line.shape[1]] = line
    return page, (x, y, line.shape[1], line.shape[0])


def rectangle(x: float, y: float, w: float, h: float) -> np.ndarray:
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=np.float32)


def test_upright_box_is_sliced_exactly() -> None:
    page, (x, y, w, h) = page_with_line()
    crop = crop_line(page, rectangle(x, y, w, h))
    assert crop.shape == (h, w, 3)
    assert np.array_equal(crop, page[y : y + h, x : x + w])


def test_slice_matches_what_the_warp_would_cut() -> None:
    page, (x, y, w, h) = page_with_line()
    box = rectangle(x + 0.3, y - 0.2, w, h)  # sub-pixel corners, as DB's boxes have
    assert is_upright_rectangle(box.astype(np.float64))
    warped = warp_quad(page, box.astype(np.float64), w, h).astype(np.int16)
    sliced = crop_line(page, box).astype(np.int16)
    assert sliced.shape == warped.shape
    # The same pixels up to a sub-pixel shift and the warp's bicubic softening: far closer to
    # the warp than the same cut two pixels off.
    off_by_two = page[y : y + h, x + 2 : x + 2 + w].astype(np.int16)
    assert np.abs(sliced - warped).mean() < 0.5 * np.abs(off_by_two - warped).mean()


def test_tilted_box_is_warped_upright() -> None:
    page, (x, y, w, h) = page_with_line()
    angle = np.deg2rad(8)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    centre = np.array([x + w / 2, y + h / 2])
    tilted = (rectangle(x, y, w, h) - centre) @ rotation.T + centre
    assert not is_upright_rectangle(tilted)
    crop = crop_line(page, tilted)
    assert crop.shape == (h, w, 3)


def test_box_reaching_past_the_edge_keeps_the_part_inside() -> None:
    page, _ = page_with_line()
    crop = crop_line(page, rectangle(-10, 250, 100, 80))
    assert crop.shape == (50, 90, 3)
    assert np.array_equal(crop, page[250:300, 0:90])


def test_box_outside_the_page_still_gives_a_crop_of_its_size() -> None:
    page, _ = page_with_line()
    crop = crop_line(page, rectangle(700, 400, 50, 20))
    assert crop.shape == (20, 50, 3)
