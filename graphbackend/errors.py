"""Exceptions raised by graphbackend.

Every error names the problem and, for connection problems, the URI (never the
password). They derive from redun's ``RedunDatabaseError`` so code written
against redun's own backend catches them too.
"""

from redun.backends.db import RedunDatabaseError


class GraphBackendError(RedunDatabaseError):
    """Base class of every graphbackend error."""


class Neo4jUnavailableError(GraphBackendError):
    """The Neo4j server could not be reached (or stopped answering)."""


class Neo4jAuthError(GraphBackendError):
    """The Neo4j server rejected the credentials."""


class SchemaVersionError(GraphBackendError):
    """The graph was written by a newer graphbackend schema than this one knows."""


class ValueTooLargeError(GraphBackendError):
    """A value's serialization is larger than ``max_value_size``."""


class TagValueError(GraphBackendError, TypeError):
    """A tag's value is not JSON-serializable (redun stores tag values as JSON).

    Raised before anything of the tags is written. Also a ``TypeError``, as
    redun's own backend raises for such a value.
    """


class ValueSerializationError(GraphBackendError, TypeError):
    """A value could not be serialized by redun's TypeRegistry.

    Also a ``TypeError``: redun's scheduler catches ``TypeError`` when an
    exception cannot be recorded and records a generic one instead.
    """


class ValueStoreMissingError(GraphBackendError):
    """A value's bytes are in a value store, but no ``value_store_path`` is configured."""


class UnknownQueryError(GraphBackendError, KeyError):
    """A named Cypher query does not exist in the ``cypher/`` folder."""


class RecordFormatError(GraphBackendError, ValueError):
    """A sync record is not in redun's serialized record format (version 1)."""


class RedunSourceError(GraphBackendError):
    """An import source or export destination is not a usable redun database
    (no database at that path, unreachable, or an unsupported schema version)."""


class ServerError(GraphBackendError):
    """The local Neo4j server could not be built, started or stopped."""


class ExploreError(GraphBackendError):
    """``log``/``show``/``lineage``/``viz`` named nothing in the graph, or an ambiguous prefix."""


class HistoryError(GraphBackendError):
    """``invalidate``/``gc``/standard exports: bad input (unknown target, empty selection...)."""
