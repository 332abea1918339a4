// Independent JOSE implementation for the interop tests (tests/it/agent_config).
//   node jose-interop.mjs seal PUBLIC.pem KID CTY   < plaintext > compact JWE
//   node jose-interop.mjs open PRIVATE.pem [PASSPHRASE_FILE] < compact JWE > plaintext (+ header on stderr)
//   node jose-interop.mjs thumbprint PUBLIC.pem < /dev/null > RFC 7638 SHA-256 thumbprint
import { CompactEncrypt, compactDecrypt, exportJWK, calculateJwkThumbprint } from 'jose';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

const stdin = readFileSync(0);
const [cmd, keyFile, a, b] = process.argv.slice(2);
try {
  if (cmd === 'seal') {
    const key = createPublicKey(readFileSync(keyFile));
    const jwe = await new CompactEncrypt(stdin)
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: a, cty: b })
      .encrypt(key);
    process.stdout.write(jwe);
  } else if (cmd === 'open') {
    const opts = { key: readFileSync(keyFile) };
    if (a) opts.passphrase = readFileSync(a, 'utf8').split('\n')[0];
    const key = createPrivateKey(opts);
    const { plaintext, protectedHeader } = await compactDecrypt(stdin.toString('ascii').trim(), key, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    process.stderr.write(JSON.stringify(protectedHeader) + '\n');
    process.stdout.write(plaintext);
  } else if (cmd === 'thumbprint') {
    const jwk = await exportJWK(createPublicKey(readFileSync(keyFile)));
    process.stdout.write(await calculateJwkThumbprint(jwk, 'sha256'));
  } else {
    throw new Error('usage: seal|open');
  }
} catch (e) {
  process.stderr.write(`jose-interop: ${e.code ?? ''} ${e.message}\n`);
  process.exit(1);
}
