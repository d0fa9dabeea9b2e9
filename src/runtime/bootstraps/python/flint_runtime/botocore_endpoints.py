"""AWS_ENDPOINT_URL for old botocore.

botocore < 1.31 (Debian's python3-boto3, say) ignores AWS_ENDPOINT_URL; newer ones honour it. Patched
in after the user imports botocore.session, clients created without an endpoint_url get
AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL, so boto3 in a function talks to Flint's services.
"""

import os
import sys

FIRST_NATIVE_VERSION = (1, 31)
ENDPOINT_ARG_INDEX = 4  # endpoint_url's position after service_name in Session.create_client


def patch_botocore_endpoints(botocore_session):
    if botocore_version() >= FIRST_NATIVE_VERSION:
        return
    original = botocore_session.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        if len(args) > ENDPOINT_ARG_INDEX:
            if args[ENDPOINT_ARG_INDEX] is None:
                args = args[:ENDPOINT_ARG_INDEX] + (endpoint_from_env(service_name),) + args[ENDPOINT_ARG_INDEX + 1:]
        elif kwargs.get("endpoint_url") is None:
            kwargs["endpoint_url"] = endpoint_from_env(service_name)
        return original(self, service_name, *args, **kwargs)

    create_client.__doc__ = original.__doc__
    botocore_session.Session.create_client = create_client


def botocore_version():
    version = getattr(sys.modules.get("botocore"), "__version__", "0")
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


def endpoint_from_env(service_name):
    """As botocore >= 1.31 reads it; the service key is derived from the client name, not the model's id."""
    if os.environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    service_key = str(service_name).upper().replace("-", "_").replace(" ", "_")
    return os.environ.get("AWS_ENDPOINT_URL_" + service_key) or os.environ.get("AWS_ENDPOINT_URL") or None
