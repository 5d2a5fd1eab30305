import type { DeviceInfo } from '../../../protocol/common.js';

/** "Chrome on Linux": how this browser appears in the active sessions list. */
export function deviceInfo(userAgent = navigator.userAgent): DeviceInfo {
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : 'Browser';
  const os =
    /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS'
    : /Mac OS X/.test(userAgent) ? 'macOS'
    : /Windows/.test(userAgent) ? 'Windows'
    : /CrOS/.test(userAgent) ? 'ChromeOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : 'an unknown system';
  return { name: `${browser} on ${os}`, platform: 'web', app_version: '0.1.0' };
}
