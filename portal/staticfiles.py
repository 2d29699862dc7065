"""The storage of static files: WhiteNoise's hashed and compressed copies in production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names from the manifest `collectstatic` writes. Before it has run (tests, a fresh
    checkout) there is no manifest: plain names, which WhiteNoise then serves from the apps'
    folders (WHITENOISE_USE_FINDERS)."""

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        return super().stored_name(name)
