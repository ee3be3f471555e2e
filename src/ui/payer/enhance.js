// The payer pages' only script, inline in the page: they are complete without JavaScript
// (plain forms, a "check status" link), and this adds what needs it. No WebAssembly: a payer
// on a slow phone network is interactive as soon as the page has arrived.
(function () {
	"use strict";
	function ready() {
		// Copy buttons: the VA number to the clipboard.
		document.querySelectorAll("button[data-copy]").forEach(function (button) {
			button.addEventListener("click", function () {
				navigator.clipboard.writeText(button.dataset.copy).then(function () {
					button.textContent = button.dataset.copied;
				});
			});
		});
		document.querySelectorAll("button[data-print]").forEach(function (button) {
			button.addEventListener("click", function () { window.print(); });
		});
		// Time left to pay, ticking.
		document.querySelectorAll("[data-until]").forEach(function (box) {
			var until = Number(box.dataset.until);
			var shown = box.querySelector("strong");
			var two = function (n) { return String(n).padStart(2, "0"); };
			var tick = function () {
				var left = Math.max(0, Math.floor((until - Date.now()) / 1000));
				shown.textContent = two(Math.floor(left / 3600)) + ":" + two(Math.floor(left / 60) % 60) + ":" + two(left % 60);
			};
			tick();
			box.hidden = false;
			setInterval(tick, 1000);
		});
		// A pending attempt turns paid (or expired) by itself: its status is asked every few
		// seconds while the page is in view, and the page reloads once it has changed.
		var status = document.querySelector("[data-poll]");
		if (status) {
			setInterval(function () {
				if (document.hidden) return;
				fetch("/fn/attempt", {
					method: "POST",
					headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
					body: status.dataset.poll,
				})
					.then(function (answer) { return answer.ok ? answer.json() : null; })
					.then(function (attempt) {
						if (attempt && attempt.status !== status.dataset.status) window.location.reload();
					})
					.catch(function () {});
			}, 4000);
		}
		var main = document.querySelector("main");
		if (main) main.dataset.hydrated = "true";
	}
	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", ready);
	} else {
		ready();
	}
})();
