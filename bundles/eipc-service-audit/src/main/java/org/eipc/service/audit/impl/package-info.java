/** The file audit log component and the line format shared with the verifier. Private: not exported. */
package org.eipc.service.audit.impl;
