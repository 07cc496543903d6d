/**
 * The audit log of security events: {@link org.eipc.service.audit.AuditLog} records
 * {@link org.eipc.service.audit.AuditEvent}s without blocking, and {@link org.eipc.service.audit.AuditVerifier}
 * checks the hash chain of the written files.
 *
 * <p>File format: JSON Lines, UTF-8, one object per line, keys always in this order:
 * <pre>
 * {"seq":N,"prev":"&lt;hex&gt;",["genesis":"&lt;hex&gt;",]"timestamp":"…","request_id":"…","source":"…","target":"…",
 *  "action":"…","decision":"…","result":"…","details":{…},"hash":"&lt;hex&gt;"}
 * </pre>
 * The reference's fields ({@code timestamp, request_id, source, target, action, decision, result}) are always
 * present, so tools that read the reference's audit lines keep working. {@code seq} counts lines from 1 and
 * continues across rotated files. {@code hash} is the lowercase hex SHA-256 of the line's bytes without its
 * {@code ,"hash":"…"} member (that is, of the line up to {@code ,"hash":"} followed by {@code }}). {@code prev}
 * is the SHA-256 of the previous line's complete bytes (without the newline). The first line of every file is
 * a genesis line (action {@code audit_genesis}) that carries {@code genesis}: the SHA-256 of the previous file's
 * last line (64 zeros for the first file ever); its {@code prev} is SHA-256 of the ASCII bytes
 * {@code "eipc-audit-genesis-v1:" + genesis}. Thus each file verifies on its own, and a sequence of files
 * verifies as one chain.
 *
 * <p>A hash chain without a key detects edits, removals, insertions and reordering by anyone who does not
 * rewrite every later line; it does not prevent a writer with access to the file from rebuilding the whole
 * chain, nor can it notice whole lines cut from the end of the newest file. Anchor
 * {@link org.eipc.service.audit.VerificationResult#lastHash()} elsewhere for that.
 */
@Export
@Version("1.0.0")
package org.eipc.service.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
