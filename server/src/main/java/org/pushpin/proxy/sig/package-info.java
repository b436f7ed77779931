/**
 * {@code Grip-Sig}: the JWT Pushpin adds to proxied requests ({@link org.pushpin.proxy.sig.GripSigner}) and the check
 * that makes a client trusted ({@link org.pushpin.proxy.sig.GripSigVerifier}), with keys read from {@code sig_key} /
 * {@code upstream_key} values ({@link org.pushpin.proxy.sig.SigningKey}); docs/grip.md#grip-sig. Built on
 * nimbus-jose-jwt and BouncyCastle's PEM reader.
 */
package org.pushpin.proxy.sig;
