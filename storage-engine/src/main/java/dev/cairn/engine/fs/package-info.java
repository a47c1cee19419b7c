/**
 * The filesystem layer of the engine: a small binding to glibc through the Foreign Function and Memory
 * API, so that a backup keeps file names as bytes, walks by directory descriptor without following
 * symbolic links, and sees and restores everything a POSIX file carries (owners, modes, nanosecond
 * times, xattrs and raw POSIX ACLs, symlinks, hardlinks, holes, FIFOs, sockets, device nodes).
 *
 * <p>Entry points: {@link dev.cairn.engine.fs.Dir} (a directory descriptor, the walk and the restore
 * side), {@link dev.cairn.engine.fs.OpenFile} (positional I/O and data extents),
 * {@link dev.cairn.engine.fs.NativeName} (a name as bytes), {@link dev.cairn.engine.fs.FsException}
 * (errno and operation, never the name in its message). Design, calls, flags and struct layouts:
 * docs/engine-fs.md.
 */
package dev.cairn.engine.fs;
