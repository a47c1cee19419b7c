/**
 * Access control of the control plane (docs/security.md): roles and permissions (deny by default),
 * just-in-time elevation, break-glass credentials and multi-party approvals (requirement APR-1) whose signed
 * records the key plane and the storage engine check through their {@code Authorization}.
 */
package dev.cairn.mgmt.access;
