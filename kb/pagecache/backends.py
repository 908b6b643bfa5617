"""Cache backends: Redis that the site keeps serving without."""

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("kb.cache")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that degrades to "nothing cached" when Redis is unreachable, with a
    warning in the log (at most once a minute) instead of an error page."""

    _last_warning = 0.0

    def _safely(self, method, *args, default=None, **kwargs):
        from redis.exceptions import RedisError

        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError:
            now = time.monotonic()
            if now - ResilientRedisCache._last_warning > 60:
                ResilientRedisCache._last_warning = now
                logger.warning("Redis unavailable; serving without the cache.", exc_info=True)
            return default

    def get(self, key, default=None, version=None):
        return self._safely("get", key, default, version, default=default)

    def get_many(self, keys, version=None):
        return self._safely("get_many", keys, version, default={})

    def set(self, *args, **kwargs):
        return self._safely("set", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._safely("set_many", *args, default=[], **kwargs)

    def add(self, *args, **kwargs):
        return self._safely("add", *args, default=False, **kwargs)

    def delete(self, *args, **kwargs):
        return self._safely("delete", *args, default=False, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._safely("delete_many", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._safely("touch", *args, default=False, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._safely("has_key", *args, default=False, **kwargs)

    def incr(self, *args, **kwargs):
        return self._safely("incr", *args, **kwargs)

    def clear(self):
        return self._safely("clear", default=False)
