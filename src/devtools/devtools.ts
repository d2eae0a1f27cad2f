// The DevTools page: registers the "netlens" panel. The panel itself also runs as a plain page.
chrome.devtools.panels.create('netlens', '', 'src/devtools/panel.html');
