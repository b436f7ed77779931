/**
 * The GRIP instruction model and its parsers: what an origin's {@code Grip-*} headers and
 * {@code application/grip-instruct} body tell the proxy to do (docs/grip.md), read with Pushpin 1.36's rules and
 * error messages. Plain Java: no Netty types.
 *
 * <p>Entry points: {@link org.pushpin.grip.GripDetector#isInstruct}, {@link org.pushpin.grip.InstructParser#parse},
 * {@link org.pushpin.grip.StatusReasons#reason}, {@link org.pushpin.grip.HeaderValueParser}.
 *
 * <p>HTTP header names and values and reason phrases are <em>byte strings</em> throughout: one char per octet
 * (ISO-8859-1), as Netty's HTTP codec reads and writes them. Values Pushpin treats as text (channel names,
 * prev-ids, filters, meta) are decoded from them as UTF-8. Nothing here returns null unless documented.
 */
package org.pushpin.grip;
