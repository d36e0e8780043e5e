"""The publisher every static site shares: a built folder to S3-compatible storage (or a local
folder), uploading only what changed, in an order that never half-publishes.

Shape after Hugo's ``deploy``: content hashes decide what to upload (our own SHA-256 manifest,
stored beside the site, never ETags or mtimes), headers by pattern, ordered uploads, a cap on
deletions, a dry run; plus a lock so two publishes cannot interleave.
"""

from sites.publish.publisher import (
    PublishLocked, PublishOptions, PublishSummary, TooManyDeletes, UploadFailed, publish,
)

__all__ = ["publish", "PublishOptions", "PublishSummary", "PublishLocked", "TooManyDeletes", "UploadFailed"]
