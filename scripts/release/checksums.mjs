// SHA-256 checksums of release artefacts, in the `sha256sum -c` format.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export async function sha256(file) {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** Writes SHA256SUMS in `dir` for the given artefacts (names relative to dir); returns its text. */
export async function writeChecksums(dir, files) {
  const lines = [];
  for (const name of [...files].sort()) lines.push(`${await sha256(path.join(dir, name))}  ${name}`);
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), text);
  return text;
}

/** Checks SHA256SUMS in `dir`: returns the names whose content no longer matches. */
export async function verifyChecksums(dir) {
  const bad = [];
  for (const line of fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n')) {
    const [expected, name] = line.split(/\s+/, 2);
    if (!fs.existsSync(path.join(dir, name)) || (await sha256(path.join(dir, name))) !== expected) bad.push(name);
  }
  return bad;
}
