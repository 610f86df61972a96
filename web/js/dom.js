// DOM fields laid over the rectangles ImGui reserves for them.
export const $ = (id) => document.getElementById(id);

// ImGui's coordinates start at the canvas, which sits below the safe area.
export function placeOverCanvas(el, x, y, w, visible, display) {
  const top = $('canvas').getBoundingClientRect().top;
  el.style.display = visible ? display : 'none';
  el.style.left = x + 'px';
  el.style.top = (top + y) + 'px';
  el.style.width = w + 'px';
}
