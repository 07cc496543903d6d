/** Implementation (private). */
package org.eipc.service.trace.impl;
