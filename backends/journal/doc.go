// Package journal is warroom's append-only event log on disk: one JSON object
// per line, each synced before it is acknowledged and checked on every open.
//
// # File format
//
// The journal is a text file a responder can `tail -f` and feed to `jq`. Each
// record is one line: the caller's JSON object with two members added at the
// end, then a newline:
//
//	{"kind":"alert.raised","text":"tokyo down","_seq":42,"_crc":"bc113303"}
//
// The exact rule, for a caller object O (which starts with '{' and ends with
// '}'):
//
//	body = O without its final '}'
//	       + ","  (left out when O is empty: only whitespace between the braces)
//	       + `"_seq":` + the sequence number in decimal (no sign, no leading zeros)
//	line = body + `,"_crc":"` + hex8(CRC-32C(body)) + `"}` + "\n"
//
// CRC-32C is the Castagnoli polynomial; hex8 is eight lower-case hex digits.
// So the checksum covers every byte of the line before `,"_crc":"`: the
// caller's bytes and the sequence number. A reader parses a line from its end
// (the `,"_crc":"xxxxxxxx"}` tail has a fixed length of 19 bytes, then the
// seq digits, then `"_seq":`), which is unambiguous however the caller's
// object looks inside. Callers may not use the top-level keys "_seq" or
// "_crc", nor raw CR or LF bytes (JSON strings escape them anyway).
//
// Sequence numbers start at 1 and grow by exactly one per record. (A reader
// accepts any first seq, leaving room for a journal that starts after a
// compaction.)
//
// # Durability
//
// Append writes a whole batch with one write(2) and then fdatasync(2)s before
// returning (group commit). A record is acknowledged only after both
// succeeded. After a failed write or sync the Journal refuses every later
// Append: the kernel may have dropped the dirty pages, and a retried fsync can
// report success for data that never reached the disk. The records of a failed
// Append are in an unknown state: some or all may reappear on the next Open.
//
// # Recovery
//
// Open reads the whole file. A damaged tail (a record cut short, missing its
// newline, with a bad checksum, bad JSON, an out-of-order seq, or zero bytes
// that some filesystems leave after a crash) is what a crash mid-append leaves
// behind; Open truncates it and reports it through Options.Logf. Damage
// followed by good records is not a crash artefact: Open refuses with a
// *CorruptError naming the line and byte offset, and changes nothing.
//
// Open returns every record for replay, so what it keeps is proportional to
// the journal: roughly the file's size plus 32 bytes per record (100,000
// records of 150 bytes, 19 MB: about 90 ms and 36 MB allocated in all on a
// 2-core box). Reading is streamed through one buffer of MaxLineBytes.
package journal
