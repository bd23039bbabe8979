"""Jobs: a document too long for one invocation, fanned out across workers and merged once.

The S3 trigger splits an upload of more than one chunk's pages into page chunks (`split`), stores
each chunk's pages as a small file and queues one SQS message per chunk. Workers
(`handler.job_worker`, an SQS event source with partial batch responses) read a chunk
(`chunk`) and store its result; the worker that stores the last one takes the merge with a
conditional write and writes the result and its exports exactly once (`merge`). `progress`
answers `GET /results/{id}` while a job runs. Every key is named in `keys`, every message and
record shape in `records`.

Nothing here imports a web framework: the trigger and the workers use it, and their cold starts
pay only for what they use.
"""
