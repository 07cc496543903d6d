/** Implementation (private). */
package org.eipc.service.broker.impl;
