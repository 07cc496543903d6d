/** Implementation (private). */
package org.eipc.service.health.impl;
