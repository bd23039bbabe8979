"""The API's routes, one module per resource: `/ocr`, `/uploads`, `/results/{id}`, `/health` + `/options`.

Routes stay thin: validate, hand the work to `handler.service` (in a worker thread, within the
request's deadline), shape the response. Errors are raised as typed exceptions and become the
error JSON through the one table in `handler.errors`.
"""
