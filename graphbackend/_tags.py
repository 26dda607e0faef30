"""Tags, their edit history, and which ones are current.

OWNER: jobs-tags-handles engineer.
"""

from __future__ import annotations


class TagsMixin:
    def record_tags(self, entity_type, entity_id, tags, parents=(), update=False, new=False):
        raise NotImplementedError

    def delete_tags(self, entity_id, tags, keys=()):
        raise NotImplementedError

    def update_tags(self, entity_type, entity_id, old_keys, new_tags):
        raise NotImplementedError

    def get_tags(self, entity_ids):
        raise NotImplementedError
