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
		// Only the methods whose limits take the amount the payer chose stay offered (the
		// server checks again); `null`: nothing chosen yet, every method stays.
		var methods = document.querySelectorAll("input[name=method][data-min]");
		var offerFor = function (value) {
			methods.forEach(function (method) {
				var takes = value === null || (value >= Number(method.dataset.min) && value <= Number(method.dataset.max));
				method.disabled = !takes;
				if (!takes) method.checked = false;
				method.closest("label").classList.toggle("unavailable", !takes);
			});
		};
		// "Rp 1.250.000" from digits kept as text, so a long typed amount keeps every digit.
		var grouped = function (digits) { return "Rp " + digits.replace(/\B(?=(\d{3})+(?!\d))/g, "."); };
		var rupiah = function (n) { return (n < 0 ? "-" : "") + grouped(String(Math.abs(n))); };
		// An amount the payer types reads "Rp 50.000" as it is typed.
		var amount = document.querySelector("input[data-rupiah]");
		if (amount) {
			var picks = document.querySelectorAll("input[name=amount_pick]");
			var chosen = function () {
				var digits = amount.value.replace(/\D/g, "");
				var picked = document.querySelector("input[name=amount_pick]:checked");
				return digits ? Number(digits) : picked ? Number(picked.value) : null;
			};
			amount.addEventListener("input", function () {
				var digits = amount.value.replace(/\D/g, "").replace(/^0+/, "");
				amount.value = digits ? grouped(digits) : "";
				picks.forEach(function (pick) { pick.checked = false; });
				offerFor(chosen());
			});
			picks.forEach(function (pick) {
				pick.addEventListener("change", function () { amount.value = ""; offerFor(chosen()); });
			});
			offerFor(chosen());
		}
		// Quantities the payer chooses: each line's subtotal and the total follow them.
		var lines = document.querySelectorAll("tr[data-price]");
		var total = document.querySelector("[data-testid=payer-total]");
		var recount = function () {
			var sum = 0;
			lines.forEach(function (line) {
				var input = line.querySelector("input.quantity");
				var quantity = input ? Number(input.value) || 0 : Number(line.dataset.quantity);
				var subtotal = quantity * Number(line.dataset.price);
				sum += subtotal;
				line.querySelector("[data-subtotal]").textContent = rupiah(subtotal);
			});
			if (total) total.textContent = rupiah(sum);
			offerFor(sum);
		};
		var quantities = document.querySelectorAll("input.quantity");
		quantities.forEach(function (input) {
			input.addEventListener("input", recount);
		});
		if (quantities.length) recount();
		var main = document.querySelector("main");
		if (main) main.dataset.hydrated = "true";
	}
	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", ready);
	} else {
		ready();
	}
})();
