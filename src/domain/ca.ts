/** The root CA of a provider (RootCAProvider): its key and self-signed certificate, PEM. */
export interface CaRoot {
  id: string;
  privateKey: string;
  certificate: string;
  created: number;
}
/** A certificate the CA issued: PEM, with its private key when the CA made the key pair. */
export interface CaIssued {
  id: string;
  serial: string;
  cn: string;
  certificate: string;
  privateKey: string | null;
  caCertificates: string;
  created: number;
}
/** A revoked certificate (CrlVO): its serial (hex, the id) and common name. */
export interface CaRevoked {
  id: string;
  cn: string | null;
  created: number;
}
