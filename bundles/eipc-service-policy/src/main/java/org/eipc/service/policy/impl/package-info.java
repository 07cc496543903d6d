/** Implementation (private). */
package org.eipc.service.policy.impl;
