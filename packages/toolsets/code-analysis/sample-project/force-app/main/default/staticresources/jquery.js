/*!
 * jQuery JavaScript Library v1.8.3
 * http://jquery.com/
 *
 * Copyright 2012 jQuery Foundation and other contributors
 * Released under the MIT license
 * http://jquery.org/license
 *
 * Date: Tue Nov 13 2012 08:20:33 GMT-0500 (Eastern Standard Time)
 */
// Stub for the sfmcp code-analysis tests: the banner is what RetireJS matches; the library itself is left out.
(function (window) {
  window.jQuery = window.$ = function () {
    return { jquery: '1.8.3' };
  };
})(window);
