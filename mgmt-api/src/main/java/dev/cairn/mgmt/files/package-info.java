/** Durable, owner-only state files shared by the control plane's stores (user store, API tokens, access state, CA). */
package dev.cairn.mgmt.files;
