/**
 * Rebuild of the repository index from the packs alone (docs/formats/repository.md, "Verification and
 * rebuild"): {@link dev.cairn.engine.rebuild.IndexRebuild}. The index is a cache of what the pack footers
 * say, so it can always be thrown away and made again; this is how.
 */
package dev.cairn.engine.rebuild;
