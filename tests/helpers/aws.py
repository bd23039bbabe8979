"""moto-backed S3 for tests: fake credentials, no profile or endpoint from the developer's shell."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from moto import mock_aws

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}
_SHELL_AWS_VARIABLES = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_CONFIG_FILE")


def use_fake_aws_env(patch: pytest.MonkeyPatch | Any) -> MutableMapping[str, str]:
    """Point boto3 at fake credentials so S3 tests can only ever talk to moto."""
    for name in _SHELL_AWS_VARIABLES:
        patch.delenv(name, raising=False)
    for name, value in FAKE_AWS_ENV.items():
        patch.setenv(name, value)
    return FAKE_AWS_ENV


@contextmanager
def moto_bucket(bucket: str, versioned: bool = False) -> Iterator[Any]:
    """An S3 client inside moto with `bucket` created (versioned on request), for any fixture scope."""
    with pytest.MonkeyPatch.context() as patch:
        use_fake_aws_env(patch)
        with mock_aws():
            client = boto3.client("s3", region_name="us-east-1")
            client.create_bucket(Bucket=bucket)
            if versioned:
                client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
            yield client
