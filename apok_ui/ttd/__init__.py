"""Electronic signatures of finished letters (PAdES, pyHanko): certificates (sertifikat), the signer behind a small
interface (penanda), the demonstration CA of `make run` (demo), checking a PDF (periksa), and the encrypted
passphrase of a kecamatan's segel elektronik (rahasia)."""
