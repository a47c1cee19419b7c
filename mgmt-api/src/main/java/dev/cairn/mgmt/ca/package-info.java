/**
 * The appliance CA (TLS-2): {@link dev.cairn.mgmt.ca.ApplianceCa}, whose key lives in the HSM token
 * ({@code cairn/ca/1}), issues the HTTPS server's certificate and client certificates for agents and API clients,
 * revokes them and publishes a CRL. Files: docs/formats/appliance-ca.md.
 */
package dev.cairn.mgmt.ca;
