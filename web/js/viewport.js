// Viewport: the canvas follows the visual viewport, WeChat's in-app browser gets a
// bottom back/refresh bar, and the canvas has no browser context menu.
import { $ } from './dom.js';
import { ready } from './bridge.js';

export function install() {
  // WeChat's in-app browser (the reference detects "micromessenger" too) has no
  // back/refresh of its own on some phones.
  if (/micromessenger/i.test(navigator.userAgent)) {
    document.documentElement.style.setProperty('--nav-h', '44px');
    $('wx-nav').style.display = 'flex';
    $('wx-back').addEventListener('click', () => history.back());
    $('wx-reload').addEventListener('click', () => location.reload());
  }

  // Phone keyboards shrink the visual viewport and iOS ignores interactive-widget:
  // follow it so the composer and the last message stay in view.
  if (window.visualViewport) {
    const vv = window.visualViewport;
    vv.addEventListener('resize', () => {
      const navH = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--nav-h')) || 0;
      $('canvas').style.height = Math.round(vv.height - navH) + 'px';
      if (ready()) Module._imchat_resize();
    });
  }

  // A message's menu opens on right-click / long-press, not the browser's.
  $('canvas').addEventListener('contextmenu', (e) => e.preventDefault());
}
